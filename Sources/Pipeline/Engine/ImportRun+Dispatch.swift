import Foundation
import MemoryAPI

/// A target that applies a whole chunk of adds in one transaction (the embedded store).
public protocol ChunkApplyingTarget: MemoryTarget {}

extension ImportRun {
    /// Add calls over HTTP: a sliding window of `concurrency` units across chunks.
    mutating func runConcurrently() async throws {
        let driver = UnitDriver(target: target, options: options)
        try await withThrowingTaskGroup(of: Driven.self) { group in
            var running = 0
            while true {
                if Task.isCancelled { interrupted = true }
                // Fill the window.
                while running < options.concurrency && !stopped && !interrupted {
                    if let seq = order.first(where: { open[$0]!.next < open[$0]!.items.count }) {
                        var chunk = open[seq]!
                        let item = chunk.items[chunk.next]
                        chunk.next += 1
                        open[seq] = chunk
                        running += 1
                        counters.inFlight += 1
                        group.addTask { await driver.drive(item) }
                    } else if !readerDone && order.count < 2 {
                        if let chunk = try await readChunk() {
                            if chunk.items.isEmpty { continue }
                            open[chunk.seq] = chunk
                            order.append(chunk.seq)
                        } else {
                            readerDone = true
                        }
                    } else {
                        break
                    }
                }
                if running == 0 { break }
                guard let driven = try await group.next() else { break }
                running -= 1
                try await finish(driven)
            }
        }
        try await checkpointOpenChunks()
    }

    /// The embedded store (whole chunks in one transaction) and batch update/delete.
    mutating func runChunkAtATime() async throws {
        let driver = UnitDriver(target: target, options: options)
        while !stopped && !interrupted {
            if Task.isCancelled {
                interrupted = true
                break
            }
            guard let chunk = try await readChunk() else { break }
            if chunk.items.isEmpty { continue }
            open[chunk.seq] = chunk
            order.append(chunk.seq)
            counters.inFlight += chunk.items.count
            let results: [Driven]
            switch options.operation {
            case .add: results = await driver.driveChunk(chunk.items)
            case .update, .delete: results = await driver.driveBatch(chunk.items)
            }
            open[chunk.seq]?.next = chunk.items.count
            for d in results { try await finish(d) }
        }
        try await checkpointOpenChunks()
    }
}
