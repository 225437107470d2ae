// swift-tools-version:6.0
// Recheck — intrinsic self-verification (S²R) and self-correction (SCoRe) for language models.
// Layers point strictly downward (see README "Architecture"):
//   1 TensorCore, Tokenizers, Verifiers   2 NN, Models, Datasets   3 Generation, Rollouts
//   4 Training, Evaluation                5 recheck (CLI), RewardServer
import PackageDescription

let optimized: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"])]

let package = Package(
  name: "Recheck",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "recheck", targets: ["recheck"]),
    .library(
      name: "Recheck",
      targets: ["TensorCore", "NN", "Tokenizers", "Verifiers", "Models", "Datasets", "Generation"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
  ],
  targets: [
    // Layer 1
    // AVX2 quantized dot products, chosen at run time (see its header for why they are C).
    .target(name: "CQuantKernels"),
    .target(name: "TensorCore", dependencies: ["CQuantKernels"]),
    .target(name: "Tokenizers"),
    .target(name: "Verifiers"),
    // Layer 2
    .target(name: "NN", dependencies: ["TensorCore"]),
    .target(name: "Models", dependencies: ["TensorCore", "NN", "Tokenizers"]),
    .target(name: "Datasets", dependencies: ["Verifiers"]),
    // Layer 3
    .target(name: "Generation", dependencies: ["TensorCore", "Models", "Tokenizers"]),
    .target(name: "Rollouts", dependencies: ["Generation", "Verifiers", "Datasets", "Tokenizers"]),
    // Layer 4
    .target(
      name: "Training", dependencies: ["Rollouts", "Generation", "Models", "NN", "TensorCore", "Tokenizers"]),
    .target(
      name: "Evaluation",
      dependencies: ["Rollouts", "Generation", "Models", "Datasets", "Tokenizers", "Verifiers"]),
    // Layer 5
    .target(
      name: "RewardServer",
      dependencies: [
        "Verifiers", "Datasets", "Generation", .product(name: "Hummingbird", package: "hummingbird"),
      ]),
    // The executable's start-up heap settings (a constructor; see its HeapPolicy.c).
    .target(name: "CRecheckHeap"),
    .executableTarget(
      name: "recheck",
      dependencies: [
        "CRecheckHeap", "TensorCore", "NN", "Tokenizers", "Verifiers", "Models", "Datasets", "Generation",
        "Rollouts", "Training", "Evaluation", "RewardServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Test support: finite-difference gradient checks, the llama.cpp test server and shared fixtures.
    .target(name: "TestSupport", dependencies: ["TensorCore", "Tokenizers"], path: "Tests/TestSupport"),
    .testTarget(
      name: "recheckTests",
      dependencies: [
        "recheck", "CRecheckHeap", "Models", "TensorCore", "Verifiers", "Tokenizers", "Training", "Rollouts",
        "Datasets", "TestSupport",
      ]),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"]),
    .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "TestSupport"]),
    .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers"], exclude: ["Fixtures"]),
    .testTarget(name: "VerifiersTests", dependencies: ["Verifiers"], exclude: ["Fixtures"]),
    .testTarget(
      name: "ModelsTests", dependencies: ["Models", "TensorCore", "NN", "Tokenizers", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Verifiers"]),
    .testTarget(
      name: "GenerationTests",
      dependencies: [
        "Generation", "Models", "TensorCore", "Tokenizers", "TestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
      ]),
    .testTarget(
      name: "RewardServerTests",
      dependencies: ["RewardServer", "Verifiers", .product(name: "Hummingbird", package: "hummingbird")]),
    .testTarget(
      name: "RolloutsTests",
      dependencies: ["Rollouts", "Generation", "Tokenizers", "Verifiers", "TestSupport"]),
    .testTarget(
      name: "TrainingTests",
      dependencies: [
        "Training", "Rollouts", "Models", "NN", "TensorCore", "Generation", "Datasets", "Verifiers",
        "Tokenizers", "TestSupport",
      ]),
    .testTarget(
      name: "EvaluationTests",
      dependencies: [
        "Evaluation", "Rollouts", "Datasets", "Generation", "Models", "Tokenizers", "Verifiers", "TensorCore",
        // Training's δ-mask is the reference the S²R SFT export is checked against.
        "Training",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
