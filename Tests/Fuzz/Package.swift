// swift-tools-version:6.2
// libFuzzer targets for jitsi-jwt. A separate package: the main package never builds these.
// Build and run: see README.md in this directory.
import PackageDescription

let package = Package(
    name: "jitsi-jwt-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "jitsi-jwt", path: "../..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver for the targets' main.swift.
        .target(name: "CFuzzerDriver"),
        // Arbitrary bytes as a Prosody config, through the sandbox and the deployment model.
        .executableTarget(
            name: "FuzzConfigLoader",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "ProsodyConfig", package: "jitsi-jwt"),
                .product(name: "JitsiDeployment", package: "jitsi-jwt"),
            ]
        ),
        // Arbitrary tokens (and self-signed arbitrary header/payload JSON) through the server-rule verifier.
        .executableTarget(
            name: "FuzzVerify",
            dependencies: ["CFuzzerDriver", .product(name: "JitsiToken", package: "jitsi-jwt")]
        ),
    ]
)
