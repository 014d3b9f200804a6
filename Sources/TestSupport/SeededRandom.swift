/// SplitMix64: a small, fast generator fully determined by its seed, so a randomized test
/// (a fuzz storm, a simulated schedule, random filters) replays exactly from the seed it prints.
///
/// ```swift
/// var random = SeededRandom(seed: 13)
/// let route = random.pick(routes)
/// ```
public struct SeededRandom: RandomNumberGenerator, Sendable {
    /// The generator's state; the seed before the first call.
    public var state: UInt64

    /// A generator starting at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n`.
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True `percent` times in a hundred.
    public mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    /// One of `items`, which must not be empty.
    public mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
}
