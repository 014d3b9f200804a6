/// Where the jitter of the backoff comes from: the system generator, or a fixed seed for
/// reproducible runs and tests.
public enum RandomSource: Sendable, Hashable {
    /// `SystemRandomNumberGenerator`.
    case system
    /// A SplitMix64 sequence from this seed; each call gets its own stream.
    case seeded(UInt64)

    /// A generator for the call numbered `call`.
    func generator(call: UInt64) -> AnyRandom {
        switch self {
        case .system: return AnyRandom(seeded: nil)
        case .seeded(let seed): return AnyRandom(seeded: SplitMix64(seed: seed &+ call &* 0x9E37_79B9_7F4A_7C15))
        }
    }
}

/// SplitMix64: a small, fast, well-distributed generator for reproducible jitter.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Either the system generator or a seeded one, behind one concrete type.
struct AnyRandom: RandomNumberGenerator, Sendable {
    var seeded: SplitMix64?

    mutating func next() -> UInt64 {
        guard var generator = seeded else {
            var system = SystemRandomNumberGenerator()
            return system.next()
        }
        let value = generator.next()
        seeded = generator
        return value
    }
}
