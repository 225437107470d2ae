import Rollouts

/// The SFT loss mask δ of S²R (paper eq. 1, spec §3.2, §10) on a whole trajectory — one example per
/// trajectory instead of the official `split_data` examples.
///
/// δ = 1 on every verification (with the check marker in front of it), on the final attempt (with
/// the retry marker in front of it), and on the end: the stop id and any template tail after it
/// (e.g. `<|im_end|>\n`). δ = 0 on the prompt, on every earlier attempt and on the retry marker in
/// front of such an attempt. Without official `split_data`'s one-token shift: markers are matched at
/// exact token boundaries, so no boundary token needs to move between context and target.
///
/// Example (one token each, k = check, r = retry, E = end): s1 k v1 r s2 k v2 r s3 k v3 E →
/// 0 1 1 0 0 1 1 1 1 1 1 1; per action s1,v1,s2,v2,s3,v3 → 0,1,0,1,1,1.
public enum S2RDeltaMask {
  /// Weights for `ids` = prompt (first `promptLength` ids) + answer; same length as `ids`. A prompt
  /// length outside `0...ids.count` is clamped (all-prompt rows get all zeros).
  public static func weights(ids: [Int], promptLength rawPromptLength: Int, parser: S2RActionParser)
    -> [Double]
  {
    let promptLength = min(max(rawPromptLength, 0), ids.count)
    if promptLength == ids.count { return Array(repeating: 0, count: ids.count) }
    let parsed = parser.parse(Array(ids[promptLength...]))
    var w = [Double](repeating: 0, count: ids.count)
    for (t, on) in parsed.deltaTrained.enumerated() where on { w[promptLength + t] = 1 }
    for t in (promptLength + parsed.responseEnd)..<ids.count { w[t] = 1 }
    return w
  }
}
