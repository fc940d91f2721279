import ArgumentParser

struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hosts", abstract: "List VirtualHosts and Components.")
}
