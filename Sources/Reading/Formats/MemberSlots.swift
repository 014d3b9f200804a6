/// The members an adapter reads from one JSON object, found in one pass over its keys (where
/// `object[name]` scans the keys once per name).
///
/// `slot(for:)` maps a key's UTF-8 bytes to the slot of a name the adapter reads (0 to 7), or
/// `nil`. Each slot then holds what `field(_:)` gives for its name: the first member of that name,
/// `nil` when it is absent or `null` (a later member of the same name never replaces a first
/// `null`). Slots keep tape indexes, not nodes, so filling them retains nothing.
///
/// ```swift
/// let slots = MemberSlots(turn, names: ["role", "content"])
/// let role = slots[0]?.string
/// ```
struct MemberSlots {
    private let tape: JSONTape
    /// Per slot, the tape index of the value, or 0 (the root, never a member's value) for none.
    private var values = InlineArray<8, Int>(repeating: 0)

    /// Reads the keys of `object` (none when it is not an object).
    init(_ object: JSONNode, slot: (UnsafeBufferPointer<UInt8>) -> Int?) {
        tape = object.tape
        var seen: UInt8 = 0
        let entries = tape.entries
        let e = entries[object.index]
        guard e.kind == .object else { return }
        var j = object.index + 1
        while j < e.next {
            let keyEntry = entries[j]
            let found: Int?
            if keyEntry.escaped {
                var key = JSONNode(tape: tape, index: j).string ?? ""
                found = key.withUTF8 { slot($0) }
            } else {
                found = tape.withBytes { slot(UnsafeBufferPointer(rebasing: $0[keyEntry.start..<keyEntry.end])) }
            }
            if let k = found, seen & (1 << k) == 0 {
                seen |= 1 << k
                if entries[j + 1].kind != .null { values[k] = j + 1 }
            }
            j = entries[j + 1].next
        }
    }

    /// Reads the members named in `names`: slot `k` holds the member named `names[k]` (at most 8
    /// names).
    init(_ object: JSONNode, names: [StaticString]) {
        precondition(names.count <= 8, "MemberSlots holds at most 8 members")
        self.init(object) { key in names.firstIndex { JSONNode.key(key, is: $0) } }
    }

    /// The value in slot `k`, or `nil` when its member is absent or `null`.
    subscript(k: Int) -> JSONNode? {
        let index = values[k]
        return index == 0 ? nil : JSONNode(tape: tape, index: index)
    }
}
