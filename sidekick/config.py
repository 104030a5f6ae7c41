"""Settings, built once at an entry point (CLI, UI, eval) and passed down.

No other module reads ``os.environ``. Environment variables carry the ``SIDEKICK_`` prefix;
only ``OPENAI_API_KEY`` keeps its standard name. CLI flags override settings.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DRAFT_MODEL = "gpt-4o-mini"
REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob Sidekick has. Defaults are the offline, on-machine configuration."""

    model_config = SettingsConfigDict(env_prefix="SIDEKICK_", env_file=".env", extra="ignore")

    # --- transcription (stage 1)
    whisper_model: str = "embedded"  # the bundled tiny.en, or any faster-whisper size or path
    whisper_compute_type: str = "int8"
    whisper_threads: int = 0  # 0 = let CTranslate2 choose
    whisper_beam_size: int = 1
    whisper_vad: bool = True
    whisper_vocabulary: str = "none"  # none | prompt | hotwords (decoder biasing; measured worse)
    whisper_repair: bool = True  # map near-miss words onto the exercise lexicon after decoding
    max_audio_mb: float = 500.0

    # --- drafting (stage 2)
    drafter: str = "offline"  # offline | llm | local
    draft_prompt: str = "draft_soap/v1"
    draft_retries: int = 1
    draft_model: str = DEFAULT_DRAFT_MODEL
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_timeout_s: float = 120.0
    llm_max_tokens: int = 2048  # cap on the LLM's answer (the note schema is bounded too)
    llm_gguf: Path | None = None
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "SIDEKICK_OPENAI_API_KEY")
    )
    prompts_dir: Path = REPO_ROOT / "prompts"

    # --- facts (extractor)
    lexicon_file: Path | None = None  # extra exercise lexicon (YAML, same format as built-in)

    # --- billing
    payers_file: Path | None = None  # overrides the built-in payer table
    ncci_file: Path | None = None  # CMS quarterly practitioner PTP file (CSV) instead of built-in

    # --- cloning (CL-*)
    clone_threshold: float = 90.0
    section_threshold: float = 95.0
    cross_threshold: float = 90.0
    static_visits: int = 3

    # --- storage
    db: str | None = None  # SQLite path or SQLAlchemy URL; default under the user data dir

    # --- the app (ui/app.py): login when served beyond localhost; one clinic's patients
    app_password: SecretStr | None = None  # SIDEKICK_APP_PASSWORD (unless OIDC is configured)
    clinic: str | None = None  # the clinic this app serves; its clinicians see its patients only

    def llm_configured(self) -> bool:
        """True when the user opted in to sending transcripts to an LLM host."""
        return bool(self.llm_base_url or self.openai_api_key)
