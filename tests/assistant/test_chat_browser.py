"""The chat in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright), on a desktop
(1400×900) and a phone (390×844): citations you can click or reach with Tab, sources beside the chat or
under the answer, lists as lists, the whole document at the cited sentence, conversations kept per
browser, feedback, Swedish throughout, and no serious accessibility violations (axe-core).

Screenshots go to the test's tmp folder, and to docs/ (shown in the README) when UPDATE_DOCS=1 is set
(`make docs`): docs/chat-screenshot.png (desktop, a list answer with its source open) and
docs/chat-phone.png (the phone layout).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
TIMEOUT_MS = 60_000
DESKTOP, PHONE = {"width": 1400, "height": 900}, {"width": 390, "height": 844}
LIST_QUESTION = "Vilka arbetspaket har SAM?"
# Words of Gradio's English interface; none may be visible or be an accessible name in the chat tab.
ENGLISH = re.compile(
    r"\b(Copy|Copied|Clear|Submit|Search|Like|Dislike|Retry|Undo|Share|Loading|Error|Settings|"
    r"Built with|Use via API|chatbot|conversation|message|Textbox|Dropdown|footer|navigation|"
    r"Send|Close|Open|Select|Options|Remove|Delete|Upload|Scroll)\b"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # a first answer on a busy 2-core machine can take seconds
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def open_chat(browser, url: str, viewport: dict, locale: str = "sv-SE"):
    """A fresh browser context (its own storage: its own conversations) on the chat; returns (context, page)."""
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector("#rk-question textarea")
    return context, page


@pytest.fixture
def page(browser, chat_server):
    context, page = open_chat(browser, chat_server.url, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser, chat_server):
    context, page = open_chat(browser, chat_server.url, PHONE)
    yield page
    context.close()


def ask(page, question: str):
    """Type a question, send it, and wait for its answer; returns the answer bubble."""
    from playwright.sync_api import expect

    answers = page.locator("#rk-chat .rk-answer")
    before = answers.count()
    page.fill("#rk-question textarea", question)
    page.keyboard.press("Enter")
    expect(answers).to_have_count(before + 1)
    return answers.last


def save(shot: Path, name: str) -> None:
    assert shot.stat().st_size > 20_000
    if os.environ.get("UPDATE_DOCS") == "1":
        (DOCS / name).write_bytes(shot.read_bytes())


# --- citations you can follow ------------------------------------------------------------------------------


def test_clicking_a_citation_shows_its_source_with_the_sentence_highlighted(page):
    from playwright.sync_api import expect

    ask(page, "Vilken kommun är projektägare för SAM?")
    budget = ask(page, "Hur stor är budgeten för North Sweden Green Deal?")
    expect(budget).to_contain_text("112,5")
    panel = page.locator("#rk-sources .rk-sources")
    expect(panel).to_have_attribute("data-turn", "1")  # the latest answer's sources are in view unasked

    page.locator("#rk-chat .rk-answer").first.locator("a.rk-cite").first.click()
    expect(panel).to_have_attribute("data-turn", "0")
    card = panel.locator("details.rk-source.rk-n1")
    expect(card).to_have_attribute("open", "")
    mark = card.locator("mark.rk-hit")
    expect(mark).to_contain_text("Sundsvalls kommun")
    expect(mark).to_be_in_viewport()


def test_tab_reaches_a_citation_by_its_name_and_enter_opens_it(page):
    from playwright.sync_api import expect

    ask(page, "Vilken kommun är projektägare för SAM?")
    ask(page, "Hur stor är budgeten för North Sweden Green Deal?")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.rk-cite')"):
            break
    focused = page.locator("a.rk-cite:focus")
    expect(focused).to_have_attribute("aria-label", re.compile(r"^Källa 1: Gemensamt arbete mot ett starkare"))
    page.keyboard.press("Enter")
    panel = page.locator("#rk-sources .rk-sources")
    expect(panel).to_have_attribute("data-turn", "0")
    expect(panel.locator("details.rk-source.rk-n1 mark.rk-hit")).to_be_in_viewport()


def test_on_a_phone_the_sources_fold_out_under_the_answer(phone, tmp_path):
    from playwright.sync_api import expect

    answer = ask(phone, "Vilken kommun är projektägare för SAM?")
    expect(phone.locator("#rk-sources-box")).to_be_hidden()
    inline = answer.locator("details.rk-inline")
    expect(inline.locator("summary").first).to_be_visible()
    expect(inline.locator("summary").first).to_contain_text("Källor: [1]")
    answer.locator("a.rk-cite").first.click()
    mark = inline.locator("details.rk-source.rk-n1 mark.rk-hit")
    expect(mark).to_contain_text("Sundsvalls kommun")
    expect(mark).to_be_in_viewport()

    phone.wait_for_timeout(300)
    shot = tmp_path / "chat-phone.png"
    phone.screenshot(path=str(shot))
    save(shot, "chat-phone.png")


# --- readable answers, whole documents ---------------------------------------------------------------------


def test_a_list_answer_renders_as_a_list(page):
    from playwright.sync_api import expect

    answer = ask(page, LIST_QUESTION)
    items = answer.locator(":scope > ul.rk-ul > li")  # the answer's own list, not lists in its sources
    expect(items).to_have_count(4)
    expect(items.first).to_contain_text("Projektledning och fysisk servicefunktion")
    expect(items.first.locator("a.rk-cite")).to_have_text("[1]")


def test_a_list_question_with_its_source_open_is_the_readme_screenshot(page, tmp_path):
    from playwright.sync_api import expect

    answer = ask(page, LIST_QUESTION)
    answer.locator("a.rk-cite").first.click()
    expect(page.locator("#rk-sources details.rk-source[open] mark.rk-hit").first).to_be_in_viewport()
    page.wait_for_timeout(300)
    shot = tmp_path / "chat-screenshot.png"
    page.screenshot(path=str(shot))
    save(shot, "chat-screenshot.png")


def test_visa_dokumentet_opens_the_whole_document_at_the_cited_section(page):
    from playwright.sync_api import expect

    ask(page, "Vilken kommun är projektägare för SAM?")
    card = page.locator("#rk-sources details.rk-source.rk-n1")
    section = card.locator("summary small").inner_text().split(" · ")[0]
    card.locator("a.rk-doc").click()

    dialog = page.locator("#rk-document dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Gemensamt arbete mot ett starkare Västernorrland (HSO och SAM)")
    for heading in section.split(" > "):
        expect(dialog.locator(".rk-doc-h", has_text=heading).first).to_be_attached()
    mark = dialog.locator("mark.rk-hit")
    expect(mark).to_contain_text("Sundsvalls kommun")
    expect(mark).to_be_in_viewport()
    assert dialog.locator(".rk-doc-h").count() > len(section.split(" > "))  # the whole document, not the passage
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_document_opens_from_the_documents_tab(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Dokument").click()
    page.locator("#rk-documents").get_by_role("button", name="The North Sweden Green Deal").click()
    dialog = page.locator("#rk-document dialog")
    expect(dialog).to_contain_text("Den totala budgeten för hela projektet är 112,5 miljoner kronor")
    dialog.get_by_role("button", name="Stäng").click()
    expect(dialog).to_be_hidden()


def test_a_decline_under_a_filter_says_so_and_asks_again_without_it(page):
    from playwright.sync_api import expect

    page.get_by_text("Filter: begränsa sökningen").click()
    page.get_by_label("Region").click()
    page.get_by_role("option", name="Västerbotten").click()
    page.keyboard.press("Escape")
    declined = ask(page, "Vilken kommun är projektägare för SAM?")
    expect(declined).to_contain_text("begränsad av filtret (Region: Västerbotten)")

    page.get_by_role("button", name="Fråga utan filter").click()
    answers = page.locator("#rk-chat .rk-answer")
    expect(answers).to_have_count(2)
    expect(answers.last).to_contain_text("Sundsvalls kommun")
    expect(page.get_by_role("button", name="Fråga utan filter")).to_be_hidden()


# --- conversations kept --------------------------------------------------------------------------------------


def test_a_reload_keeps_the_conversation_and_another_browser_does_not_see_it(browser, chat_server, page):
    from playwright.sync_api import expect

    ask(page, "Vilken kommun är projektägare för SAM?")
    page.reload()
    page.wait_for_selector("#rk-question textarea")
    answers = page.locator("#rk-chat .rk-answer")
    expect(answers).to_have_count(1)
    expect(answers.first).to_contain_text("Sundsvalls kommun")
    follow_up = ask(page, "Och vilken är projektperioden?")
    expect(follow_up).to_contain_text("2026")  # the reloaded conversation still resolves follow-ups

    other, stranger = open_chat(browser, chat_server.url, DESKTOP)
    stranger.wait_for_timeout(1500)
    expect(stranger.locator("#rk-chat .rk-answer")).to_have_count(0)
    expect(stranger.locator("#rk-conversations")).to_be_hidden()
    other.close()


def test_ny_konversation_starts_afresh_and_the_earlier_one_stays_in_the_list(page):
    from playwright.sync_api import expect

    ask(page, "Vilken kommun är projektägare för SAM?")
    page.get_by_role("button", name="Ny konversation").click()
    expect(page.locator("#rk-chat .rk-answer")).to_have_count(0)
    earlier = page.get_by_role("radio", name=re.compile("^Vilken kommun är projektägare"))
    earlier.check()
    expect(page.locator("#rk-chat .rk-answer")).to_have_count(1)
    expect(page.locator("#rk-chat .rk-answer").first).to_contain_text("Sundsvalls kommun")


# --- a quieter page, in Swedish --------------------------------------------------------------------------------


def test_the_comment_box_appears_after_a_rating_and_is_logged_with_it(page, chat_server):
    from playwright.sync_api import expect

    ask(page, "Vilken kommun är projektägare för SAM?")
    expect(page.locator("#rk-comment textarea")).to_be_hidden()
    page.locator("#rk-chat").get_by_role("button", name="Gilla").last.click()
    expect(page.locator("#rk-status")).to_contain_text("Tack!")
    page.fill("#rk-comment textarea", "Precis vad jag behövde")
    page.get_by_role("button", name="Skicka kommentar").click()
    expect(page.locator("#rk-status")).to_contain_text("Tack för kommentaren")
    expect(page.locator("#rk-comment textarea")).to_be_hidden()

    records = [json.loads(line) for line in chat_server.feedback_path.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in records if r["comment"] == "Precis vad jag behövde"]
    assert (
        len(mine) == 1 and mine[0]["question"] == "Vilken kommun är projektägare för SAM?" and mine[0]["rating"] == "👍"
    )
    assert any(r["id"] == mine[0]["id"] and r["comment"] == "" for r in records)  # the rating, logged at once


@pytest.mark.parametrize("locale", ["sv-SE", "en-US"])
def test_no_english_label_or_accessible_name_in_the_chat_tab(browser, chat_server, locale):
    from playwright.sync_api import expect

    context, page = open_chat(browser, chat_server.url, DESKTOP, locale)
    ask(page, "Vilken kommun är projektägare för SAM?")
    page.locator("#rk-chat").get_by_role("button", name="Gilla").last.click()
    expect(page.locator("#rk-comment textarea")).to_be_visible()
    page.get_by_text("Filter: begränsa sökningen").click()
    page.wait_for_timeout(500)

    assert page.get_by_role("textbox", name="Fråga", exact=True).count() == 1
    chat_tab = page.locator("#rk-layout")
    texts = [page.locator("body").inner_text(), page.locator("body").aria_snapshot(), chat_tab.aria_snapshot()]
    # Document titles and quotes are data, not labels: leave the answer and its sources out of the check.
    labels = "\n".join(texts).replace("The North Sweden Green Deal", "")
    assert not ENGLISH.findall(labels), ENGLISH.findall(labels)
    assert page.locator("html").get_attribute("lang") == "sv"
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violations_on_the_chat_tab(browser, chat_server, viewport):
    from axe_playwright_python.sync_playwright import Axe

    context, page = open_chat(browser, chat_server.url, viewport)
    ask(page, "Vilken kommun är projektägare för SAM?")
    page.locator("#rk-chat").get_by_role("button", name="Gilla").last.click()
    page.wait_for_timeout(500)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[(n['target'], n['failureSummary']) for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert not serious, "\n".join(serious)


# --- the rest of the page --------------------------------------------------------------------------------------


def test_an_example_question_is_asked_with_one_click(page):
    from playwright.sync_api import expect

    page.get_by_text("Hur stor är budgeten för North Sweden Green Deal?").click()
    expect(page.locator("#rk-chat .rk-answer").last).to_contain_text("112,5", timeout=TIMEOUT_MS)


def test_the_onboarding_tabs_show_every_row_and_search_narrows_them(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Dokument").click()
    documents = page.locator("#rk-documents")
    expect(documents).to_contain_text("The North Sweden Green Deal")
    expect(documents).to_contain_text("Västernorrland")

    page.get_by_role("tab", name="Förkortningar").click()
    rows = page.locator("#rk-glossary tbody tr")
    expect(rows.first).to_be_visible()
    total = rows.count()
    assert total >= 15
    expect(page.locator("#rk-glossary caption")).to_contain_text(f"({total} st.)")
    page.get_by_label("Sök bland förkortningarna").fill("utvecklingsfonden")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Europeiska regionala utvecklingsfonden")


def test_markup_in_a_question_is_shown_as_text_not_run(page):
    from playwright.sync_api import expect

    ask(page, '<img src=x onerror="document.title=1"> Vilken kommun är projektägare för SAM?')
    expect(page.locator("#rk-chat .rk-q").last).to_contain_text("<img src=x")
    assert page.locator("#rk-chat img").count() == 0
    assert page.title() != "1"
