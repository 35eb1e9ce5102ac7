"""A label written on a constant in a template follows each page's language (Jinja must not fold it once)."""

from __future__ import annotations

from flask import Flask
from flask import render_template
from jinja2 import DictLoader

from web import template_words


def test_a_constant_label_is_worked_out_for_every_page(monkeypatch) -> None:
    app = Flask(__name__)
    template_words.init_templates(app)
    source = '{{ "delivery"|label("request_kind") }} / {{ label_choices("stop_outcome")[0][1] }}'
    app.jinja_loader = DictLoader({"page.html": source})  # compiled once and cached, as the real templates are
    language = {"now": "ru"}
    monkeypatch.setattr(template_words, "page_language", lambda: language["now"])
    with app.app_context():
        first = render_template("page.html")
        language["now"] = "kk"
        second = render_template("page.html")
    assert first == "Доставка книг / Доставлено"
    assert second == "Кітап жеткізу / Жеткізілді"
