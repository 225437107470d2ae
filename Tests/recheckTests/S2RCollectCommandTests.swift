import Foundation
import Testing
import Tokenizers
import Training

@testable import recheck

/// Resuming benchmark stage 0: a rerun may point at a restarted server (another port), never at
/// other models, data or settings.
struct S2RCollectCommandTests {
  func config(
    api: String? = "http://127.0.0.1:24949/v1", verifierAPI: String? = nil, verifierModel: String? = nil,
    maxTokens: Int = 256, template: ChatTemplate = .smolLM2
  ) -> S2RBenchmarkCollectConfig {
    S2RBenchmarkCollectConfig(
      model: "/models/smollm2.gguf", apiBase: api, verifierApiBase: verifierAPI, verifierModel: verifierModel,
      verifierTemperature: 0.1, verifierMaxTokens: 256, template: template, data: "gsm8k_train.jsonl",
      maxTokens: maxTokens, behaviour: S2RBehaviourData(samplesPerProblem: 5, temperature: 0.7, seed: 0))
  }

  @Test func anotherServerPortResumes() {
    #expect(config(api: "http://127.0.0.1:31000/v1").resumes(config()))
    #expect(
      config(verifierAPI: "http://127.0.0.1:9/v1", verifierModel: "v").resumes(
        config(verifierAPI: "http://127.0.0.1:8/v1", verifierModel: "v")))
  }

  @Test func otherModelsOrSettingsDoNotResume() {
    #expect(!config(maxTokens: 128).resumes(config()))
    #expect(!config(template: .llama3).resumes(config()))
    #expect(
      !config(verifierAPI: "http://127.0.0.1:9/v1", verifierModel: "a").resumes(
        config(verifierAPI: "http://127.0.0.1:9/v1", verifierModel: "b")))
    // A local policy (no server) does not resume a server's run, nor the other way round.
    #expect(!config(api: nil).resumes(config()))
    #expect(!config().resumes(config(api: nil)))
    #expect(config(api: nil).resumes(config(api: nil)))
  }
}
