"""The chat in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright): ask, read the
answer and its citation, open the source, rate the answer, browse the onboarding tabs.

The screenshot of the budget answer with its source open goes to the test's tmp folder, and to
docs/chat-screenshot.png (shown in the README) when UPDATE_DOCS=1 is set (`make docs`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "chat-screenshot.png"
TIMEOUT_MS = 60_000
DONE = re.compile("Källor:|Närmaste avsnitt")  # a bubble's last line, shown once the answer is complete

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
        ])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, chat_server):
    """A fresh browser session (its own cookies, its own conversation) on the chat."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(chat_server.url)
    page.wait_for_selector("#rk-question textarea")
    yield page
    context.close()


def ask(page, question: str):
    """Type a question, send it, and wait until its answer has streamed in full (the sources line shows)."""
    from playwright.sync_api import expect

    answers = page.locator("#rk-chat [data-testid='bot']")
    before = answers.count()
    page.fill("#rk-question textarea", question)
    page.keyboard.press("Enter")
    expect(answers).to_have_count(before + 1)
    expect(answers.last).to_contain_text(DONE)
    return answers.last


def test_asks_sees_the_cited_answer_and_opens_the_highlighted_source(page, tmp_path):
    from playwright.sync_api import expect

    answer = ask(page, "Hur stor är budgeten för North Sweden Green Deal?")
    expect(answer).to_contain_text("112,5")
    expect(answer).to_contain_text("[1]")

    page.get_by_text("Källor", exact=True).click()
    source = page.locator("#rk-sources details[open]").first
    expect(source.locator("summary")).to_contain_text("[1]")
    expect(source.locator("summary")).to_contain_text("The North Sweden Green Deal")
    expect(source.locator("mark")).to_contain_text("Den totala budgeten för hela projektet är 112,5 miljoner kronor")

    page.wait_for_timeout(400)  # let the accordion's opening animation finish before the picture
    shot = tmp_path / "chat-screenshot.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    if os.environ.get("UPDATE_DOCS") == "1":
        SCREENSHOT.write_bytes(shot.read_bytes())


def test_a_thumbs_up_with_a_comment_is_logged_with_the_answer_and_its_citations(page, chat_server):
    from playwright.sync_api import expect

    ask(page, "Vem äger SAM?")
    page.fill("#rk-comment textarea", "Precis vad jag behövde")
    page.locator("#rk-chat").get_by_role("button", name="Gilla").last.click()
    expect(page.locator("#rk-status")).to_contain_text("Tack!")

    records = [json.loads(line) for line in chat_server.feedback_path.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in records if r["comment"] == "Precis vad jag behövde"]
    assert len(mine) == 1
    assert mine[0]["question"] == "Vem äger SAM?" and mine[0]["rating"] == "👍"
    assert "Sundsvalls kommun" in mine[0]["answer"]
    assert mine[0]["citations"] and all(c["chunk_id"] for c in mine[0]["citations"])
    expect(page.locator("#rk-comment textarea")).to_have_value("")


def test_a_follow_up_in_the_browser_is_about_the_same_project(page):
    from playwright.sync_api import expect

    ask(page, "Vem äger SAM?")
    follow_up = ask(page, "Och när slutar det?")
    expect(follow_up).to_contain_text("2026")
    page.get_by_text("Källor", exact=True).click()
    expect(page.locator("#rk-sources .rk-note")).to_contain_text("svar 2")
    expect(page.locator("#rk-sources details[open] mark")).to_contain_text("2026")


def test_an_example_question_is_asked_with_one_click(page):
    from playwright.sync_api import expect

    page.get_by_text("Hur stor är budgeten för North Sweden Green Deal?").click()
    expect(page.locator("#rk-chat [data-testid='bot']").last).to_contain_text("112,5", timeout=TIMEOUT_MS)


def test_the_onboarding_tabs_list_the_documents_and_the_acronyms(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Dokument").click()
    documents = page.locator("#rk-documents")
    expect(documents).to_contain_text("The North Sweden Green Deal")
    expect(documents).to_contain_text("Västernorrland")

    page.get_by_role("tab", name="Förkortningar").click()
    glossary = page.locator("#rk-glossary")
    expect(glossary).to_contain_text("Hållbar samhällsomställning")
    expect(glossary).to_contain_text("Europeiska regionala utvecklingsfonden")


def test_markup_in_a_question_is_shown_as_text_not_run(page):
    from playwright.sync_api import expect

    ask(page, '<img src=x onerror="document.title=1"> Vem äger SAM?')
    expect(page.locator("#rk-chat [data-testid='user']").last).to_contain_text("<img src=x")
    assert page.locator("#rk-chat img").count() == 0
    assert page.title() != "1"
