"""The clinician's Streamlit app (``ui/app.py``; ``sidekick app`` starts it).

``app.py`` lays the page out; ``state`` adapts the library's models to the widgets (tables,
series, the edited note); ``access`` is the login gate; ``panels`` and ``history`` draw the
parts of the page. No business logic, prompts, rules or LLM calls live here (STYLE.md section 9):
every check, unit and signature comes from ``sidekick``.
"""
