import ArgumentParser
import RegistryService
import ServiceRuntime

/// The registry service: enterprises, allowances, holds and compliance (DESIGN.md section 1).
@main
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The carbon registry service: consumes registry.commands, emits registry.events.")

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceMain.run(handler: RegistryHandler(), options: options, defaultAdminPort: 8081)
    }
}
