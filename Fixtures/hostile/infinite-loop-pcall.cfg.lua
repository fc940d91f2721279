-- endless loop that swallows errors with nested pcall, so a limit raised as an ordinary Lua error is caught and the loop resumes
while true do
	pcall(function()
		while true do
			pcall(function() while true do end end)
		end
	end)
end
