"""A raw HTTP/1.1 load generator in Python asyncio, for bench/wire's diagnostics (session 9): 32
keep-alive connections posting the 5-message v3 adds memport sends (random 64-digit import keys),
each request written in one write, or head and body as two writes ("split", as AsyncHTTPClient
does). It shows what the server spends per add under a client that, like memport, uses CPU of
its own on the same two cores (read the server's CPU from /proc/PID/stat around it).

usage: raw_adds.py HOST PORT joined|split COUNT [API_KEY]
Prints one line: "<mode>: <adds>/s".
"""
import asyncio
import os
import socket
import sys
import time


async def worker(wid, host, port, mode, key, state):
    reader, writer = await asyncio.open_connection(host, port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while state["sent"] < state["total"]:
        state["sent"] += 1
        c = f"{wid}-{state['sent']}"
        messages = ",".join(
            '{"content":"conversation %s message %d: remember fact %s-%d","role":"%s"}'
            % (c, i, c, i, "user" if i % 2 == 0 else "assistant")
            for i in range(5)
        )
        body = (
            '{"infer":false,"messages":[%s],"metadata":{"memport_import_key":"%s"},"user_id":"raw"}'
            % (messages, os.urandom(32).hex())
        ).encode()
        head = (
            f"POST /v3/memories/add/ HTTP/1.1\r\nAuthorization: Token {key}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nhost: {host}:{port}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        if mode == "split":
            writer.write(head)
            await writer.drain()
            await asyncio.sleep(0)
            writer.write(body)
        else:
            writer.write(head + body)
        await writer.drain()
        response_head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in response_head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        await reader.readexactly(length)
    writer.close()


async def main():
    host, port, mode, total = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    key = sys.argv[5] if len(sys.argv) > 5 else "k"
    state = {"sent": 0, "total": total}
    start = time.time()
    await asyncio.gather(*(worker(i, host, port, mode, key, state) for i in range(32)))
    print(f"{mode}: {total / (time.time() - start):.0f}/s")


if __name__ == "__main__":
    asyncio.run(main())
