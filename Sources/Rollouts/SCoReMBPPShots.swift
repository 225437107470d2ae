/// One worked MBPP example of the canonical 3-shot prompt (Austin et al. 2021).
public struct SCoReMBPPShot: Sendable, Codable, Hashable {
  public var taskID: Int
  public var text: String
  public var tests: [String]
  public var code: String
}

/// The three shots of the MBPP prompt SCoRe trains with (spec §1.3): MBPP tasks 2, 3 and 4 as
/// data (MBPP, CC-BY-4.0). The data set's code uses CRLF line ends and some lines end in a space;
/// both are normalised here (LF, no trailing blanks) so that a prompt never holds a `\r`.
public enum SCoReMBPPShots {
  public static let shots: [SCoReMBPPShot] = [
    SCoReMBPPShot(
      taskID: 2, text: "Write a function to find the similar elements from the given two tuple lists.",
      tests: [
        "assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)",
        "assert similar_elements((1, 2, 3, 4),(5, 4, 3, 7)) == (3, 4)",
        "assert similar_elements((11, 12, 14, 13),(17, 15, 14, 13)) == (13, 14)",
      ],
      code: """
        def similar_elements(test_tup1, test_tup2):
          res = tuple(set(test_tup1) & set(test_tup2))
          return (res)
        """),
    SCoReMBPPShot(
      taskID: 3, text: "Write a python function to identify non-prime numbers.",
      tests: [
        "assert is_not_prime(2) == False",
        "assert is_not_prime(10) == True",
        "assert is_not_prime(35) == True",
      ],
      code: """
        import math
        def is_not_prime(n):
            result = False
            for i in range(2,int(math.sqrt(n)) + 1):
                if n % i == 0:
                    result = True
            return result
        """),
    SCoReMBPPShot(
      taskID: 4,
      text:
        "Write a function to find the largest integers from a given list of numbers using heap queue algorithm.",
      tests: [
        "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],3)==[85, 75, 65]",
        "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],2)==[85, 75]",
        "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],5)==[85, 75, 65, 58, 35]",
      ],
      code: """
        import heapq as hq
        def heap_queue_largest(nums,n):
          largest_nums = hq.nlargest(n, nums)
          return largest_nums
        """),
  ]

  /// `"You are an expert Python programmer, and here is your task: {text} Your code should pass
  /// these tests:\n\n{test 1}\n{test 2}\n{test 3}\n[BEGIN]"`.
  public static func header(text: String, tests: [String]) -> String {
    "You are an expert Python programmer, and here is your task: \(text) Your code should pass these tests:\n\n"
      + tests.joined(separator: "\n") + "\n[BEGIN]"
  }

  /// One shot: header, reference code, `[DONE]`.
  public static func render(_ shot: SCoReMBPPShot) -> String {
    header(text: shot.text, tests: shot.tests) + "\n" + shot.code + "\n[DONE]"
  }

  /// The three shots separated by blank lines (the first-turn "instruction" of the MBPP prompt).
  public static let fewShotPrefix = shots.map(render).joined(separator: "\n\n")
}
