"""The fake DingTalk sessionWebhook in its own process (python -m bench.fake_webhook PORT).

It shares the machine's cores with the bot, so it is kept cheap: a bare asyncio HTTP/1.1 server with
keep-alive, not Flask under werkzeug's development server, which spent about as much CPU per answer
as the bot spends computing it, and the bench charged that to the bot. It takes what the real one takes
(a JSON body with a msgtype), answers what it answers (errcode 0, or 40035 for a body it cannot read),
and counts the answers at GET /received.
"""
from __future__ import annotations

import asyncio
import json
import sys

received = 0


def _answer(method: str, path: str, body: bytes) -> dict:
    global received
    if method == "GET" and path == "/received":
        return {"count": received}
    if method == "POST" and path.startswith("/robot/sendBySession"):
        try:
            message = json.loads(body)
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("msgtype"):
            received += 1
            return {"errcode": 0, "errmsg": "ok"}
    return {"errcode": 40035, "errmsg": "缺少参数 json"}


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            payload = json.dumps(_answer(method, path, body)).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(payload), payload))
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass   # the client closed the connection, or sent what no client of ours sends
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
