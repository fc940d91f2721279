-- error({}) raises a table: the loader returns the table itself as the error; the oracle prints tostring() of it ("table: 0x...", address varies per run)
error({ code = 42 })
