"""The ``local`` drafter: llama.cpp's own server, in process, on a GGUF file the user gives.

For clinics that must keep everything on site. ``xllamacpp`` (the ``local`` extra) embeds
llama.cpp's OpenAI-compatible HTTP server; it listens on a free localhost port and the LLM
drafter talks to it like to any other host. No weights ship with Sidekick:
``SIDEKICK_LLM_GGUF`` points to the file. One server per GGUF file per process, started on
first use. Generation uses one slot, so the drafter is not parallel-safe.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path
from typing import Any

from sidekick.config import Settings
from sidekick.draft.llm import LLMDrafter
from sidekick.errors import ConfigError

logger = logging.getLogger(__name__)

_SERVERS: dict[tuple[str, int], Any] = {}
_LOCK = threading.Lock()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(gguf: Path, *, threads: int = 1, n_ctx: int = 4096) -> Any:
    """Start xllamacpp's server on ``gguf`` (localhost, a free port, ``threads`` threads).

    Raises:
        ConfigError: xllamacpp is not installed, or the file is missing.
    """
    try:
        import xllamacpp
    except ImportError as exc:
        raise ConfigError(
            "the local drafter needs xllamacpp: pip install 'sidekick[local]'"
        ) from exc
    if not gguf.is_file():
        raise ConfigError(f"{gguf}: SIDEKICK_LLM_GGUF: file not found; point it to a .gguf model")
    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.port = free_port()
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.sampling.temp = 0
    params.warmup = False
    params.verbosity = 0  # llama.cpp logs to stderr itself: errors only
    server = xllamacpp.Server(params)
    logger.info("local llama.cpp server on %s", server.listening_address)
    return server


def shared_server(gguf: Path, threads: int = 1) -> Any:
    """The process's server for ``gguf``, started once."""
    key = (str(gguf.resolve()), threads)
    with _LOCK:
        if key not in _SERVERS:
            _SERVERS[key] = start_server(gguf, threads=threads)
        return _SERVERS[key]


class LocalDrafter(LLMDrafter):
    """The LLM drafter on an in-process llama.cpp server."""

    name = "local"
    parallel_safe = False

    def __init__(self, settings: Settings, **kwargs: Any):
        if settings.llm_gguf is None:
            raise ConfigError(
                "SIDEKICK_LLM_GGUF is not set; point it to a .gguf model file, "
                "or use --drafter offline"
            )
        server = shared_server(Path(settings.llm_gguf))
        kwargs.setdefault("extra_body", {"cache_prompt": False})
        super().__init__(settings, base_url=server.listening_address + "/v1", **kwargs)
        self.model_name = Path(settings.llm_gguf).name
