"""The evaluation harness: score any drafter, prompt version and model on gold cases.

``python -m eval CASES_DIR -o OUT`` runs the pipeline on every case of a folder in the
``shared/cases/README.md`` format and writes ``report.json``, ``report.md`` and
``report.html``; ``python -m eval compare OUT_A OUT_B`` shows what changed between two runs.
"""
