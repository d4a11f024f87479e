"""The page around the chat: its style, its scripts and its Swedish words.

- CSS: sources beside the chat on wide screens, folded under each answer on narrow ones (< 900 px).
- SOURCES_JS runs once in the sources panel (a `gr.HTML`): a click or Enter on a citation [n] opens source n
  and scrolls to its marked sentence — in the panel, or under the answer on a narrow screen — and
  "Visa dokumentet" asks the server for the whole document. Chat bubbles are sanitised by Gradio (no
  aria-* or data-* attributes survive), so citations carry their turn and number in the link, and their
  accessible names in `title`, which the script copies to aria-label.
- DOCUMENT_JS opens the document dialog whenever the server sends a new one.
- TRANSLATIONS: Gradio's own words (its i18n keys) in Swedish whatever language the browser asks for;
  HARD_CODED: the few English strings Gradio writes without a key, replaced by the page script.
"""

from __future__ import annotations

import json

import gradio as gr

from assistant.chat.guard import QUEUE_FULL_SV

WIDE_PX = 900

CSS = f"""
#rk-layout {{ gap: 16px; align-items: flex-start; }}
#rk-side {{ position: sticky; top: 8px; }}
#rk-ask-row {{ align-items: flex-end; flex-wrap: nowrap; }}
#rk-send {{ flex-grow: 0; align-self: flex-end; margin-bottom: 4px; }}
@media (max-width: {WIDE_PX - 1}px) {{
  #rk-layout {{ flex-direction: column; }}
  #rk-layout > div {{ width: 100%; min-width: 0 !important; }}
  #rk-side {{ position: static; }}
  #rk-sources-box {{ display: none !important; }}
}}
@media (min-width: {WIDE_PX}px) {{ #rk-chat .rk-inline {{ display: none; }} }}
#rk-sources-box {{ max-height: 78vh; overflow-y: auto; }}
#rk-sources-box h2, #rk-side h2 {{ font-size: 1.05em; margin: 0 0 .4em 0; }}
.rk-answer p, .rk-q p {{ margin: 0 0 .4em 0; }}
.rk-answer ul.rk-ul {{ margin: .2em 0 .4em 1.3em; padding: 0; list-style: disc; }}
.rk-answer li {{ margin: .1em 0; }}
.rk-doc, .rk-cite {{ color: #1d4ed8; }}
.dark .rk-doc, .dark .rk-cite {{ color: #93c5fd; }}
/* Gradio's corner toolbar (only "Rensa samtalet" is left in it) floats over the top message when scrolled;
   "Ny konversation" does the same job. */
#rk-chat .icon-button-wrapper.top-panel {{ display: none; }}
button[role="tab"][aria-selected="true"] {{ color: #9a3412 !important; }}  /* Gradio's orange: 2.8:1 */
#rk-chat .prose {{ opacity: 1 !important; }}  /* Gradio dims bubbles to 0.8: too faint for links (WCAG AA) */
footer button, footer a {{ color: var(--body-text-color) !important; opacity: 1 !important; }}
.rk-cite {{ font-weight: 600; text-decoration: underline; padding: 0 .1em; border-radius: 3px; }}
.rk-cite:focus-visible, .rk-doc:focus-visible, .rk-source summary:focus-visible {{ outline: 3px solid #1d4ed8; }}
.rk-filter-note {{ border-left: 3px solid #b45309; padding-left: .5em; }}
.rk-inline {{ margin-top: .5em; }}
.rk-inline > summary {{ cursor: pointer; font-size: .92em; }}
mark {{ background: #ffe27a; color: #111; padding: 0 .1em; border-radius: 2px; }}
.rk-source {{ border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .5em .75em; margin: .5em 0; }}
.rk-source summary {{ cursor: pointer; }}
.rk-source.rk-flash {{ outline: 3px solid #f59e0b; }}
.rk-passage {{ font-size: .95em; margin-top: .5em; max-height: 26em; overflow-y: auto; }}
.rk-passage p {{ margin: 0 0 .5em 0; }}
.rk-passage ul, .rk-doc-body ul {{ margin: .2em 0 .5em 1.3em; list-style: disc; }}
li.rk-numbered {{ list-style: none; margin-left: -1.1em; }}
.rk-table {{ border-collapse: collapse; width: 100%; font-size: .95em; }}
.rk-table td, .rk-table th {{ border: 1px solid var(--border-color-primary); padding: .25em .5em; vertical-align: top;
  text-align: left; }}
.rk-table caption {{ text-align: left; font-weight: 600; padding: .3em 0; }}
.rk-closest {{ border: 1px solid currentColor; border-radius: 4px; font-size: .8em; padding: 0 .4em; }}
.rk-note {{ margin: 0 0 .5em 0; }}
.rk-doc-open {{ text-align: left; text-decoration: underline; cursor: pointer; background: none; border: 0; padding: 0;
  color: inherit; font: inherit; }}
.rk-dialog {{ width: min(920px, 96vw); max-height: 92vh; padding: 0; border-radius: 10px; border: 1px solid #888; }}
.rk-dialog::backdrop {{ background: rgba(0, 0, 0, .5); }}
.rk-doc-head {{ display: flex; justify-content: space-between; align-items: center; gap: 1em; padding: .6em 1em;
  border-bottom: 1px solid #ccc; position: sticky; top: 0; background: var(--background-fill-primary, #fff); }}
.rk-doc-head h2 {{ margin: 0; font-size: 1.15em; }}
.rk-doc-close {{ border: 1px solid #555; border-radius: 6px; padding: .2em .8em; background: none; color: inherit;
  cursor: pointer; }}
.rk-doc-body {{ padding: .5em 1.2em 1.5em; overflow-y: auto; max-height: calc(92vh - 4em); line-height: 1.5; }}
.rk-doc-body h3, .rk-doc-body h4, .rk-doc-body h5 {{ margin: 1em 0 .3em 0; }}
.rk-page {{ font-size: .85em; text-align: center; margin: .8em 0; }}
"""

# Gradio writes these without an i18n key; the page script puts them in Swedish.
HARD_CODED = {
    "This application is currently busy. Please try again. ": QUEUE_FULL_SV,
    "This application is currently busy. Please try again.": QUEUE_FULL_SV,
    "Error": "Fel",
    "Connection errored out.": "Anslutningen bröts. Ladda om sidan.",
    "chatbot conversation": "Samtal",
    "Gradio footer navigation": "Sidfot",
}

SOURCES_JS = """
// Runs again if the panel is mounted again: the newest panel and its trigger are the ones used.
const rk = window.__rkSources = window.__rkSources || { pending: null, listening: false };
rk.panel = element;
rk.trigger = trigger;
watch('value', () => applyPending());
if (rk.listening) return;
rk.listening = true;
const WORDS = __WORDS__;
const wide = () => window.matchMedia('(min-width: __WIDE__px)').matches;
const parse = (href, prefix) => {
  const m = (href || '').match(new RegExp('^#' + prefix + '-(\\\\d+)-(\\\\d+)$'));
  return m ? [Number(m[1]), Number(m[2])] : null;
};
function reveal(card) {
  for (let d = card; d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
  const hit = card.querySelector('mark.rk-hit') || card;
  hit.scrollIntoView({ block: 'center' });
  const summary = card.querySelector('summary');
  if (summary) summary.focus({ preventScroll: true });
  card.classList.add('rk-flash');
  setTimeout(() => card.classList.remove('rk-flash'), 1600);
}
function applyPending() {
  const box = rk.panel.querySelector('.rk-sources');
  if (!rk.pending || !box || box.dataset.turn !== String(rk.pending[0])) return;
  const card = box.querySelector('.rk-source.rk-n' + rk.pending[1]);
  rk.pending = null;
  if (card) reveal(card);
}
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.rk-cite, a.rk-doc, button.rk-doc-open');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  if (link.classList.contains('rk-cite')) {
    const at = parse(link.getAttribute('href'), 'rk-kalla');
    if (!at) return;
    const bubble = link.closest('.rk-answer');
    const inline = bubble && bubble.querySelector('.rk-inline .rk-source.rk-n' + at[1]);
    if (!wide() && inline) { reveal(inline); return; }
    rk.pending = at;
    const box = rk.panel.querySelector('.rk-sources');
    if (box && box.dataset.turn === String(at[0])) applyPending();
    else rk.trigger('cite', { turn: at[0], n: at[1] });
  } else if (link.classList.contains('rk-doc')) {
    const at = parse(link.getAttribute('href'), 'rk-dok');
    if (at) rk.trigger('document', { turn: at[0], n: at[1] });
  } else {
    rk.trigger('document', { doc: link.dataset.doc || '' });
  }
}, true);
function swedish(root) {
  // Gradio names the page's language after the browser's; the page is in Swedish whatever that is.
  if (document.documentElement.lang !== 'sv') document.documentElement.lang = 'sv';
  root.querySelectorAll('a.rk-cite[title]:not([aria-label]), a.rk-doc[title]:not([aria-label])')
    .forEach((a) => a.setAttribute('aria-label', a.title));
  root.querySelectorAll('[aria-label]').forEach((el) => {
    const sv = WORDS[el.getAttribute('aria-label')];
    if (sv) el.setAttribute('aria-label', sv);
  });
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const sv = WORDS[node.nodeValue] || WORDS[node.nodeValue.trim()];
    if (sv) node.nodeValue = sv;
  }
}
let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; swedish(document.body); });
}).observe(document.body, { childList: true, subtree: true, characterData: true });
swedish(document.body);
""".replace("__WORDS__", json.dumps(HARD_CODED, ensure_ascii=False)).replace("__WIDE__", str(WIDE_PX))

DOCUMENT_JS = """
element.addEventListener('click', (event) => {
  if (event.target.closest('.rk-doc-close')) event.target.closest('dialog').close();
});
watch('value', () => {
  const dialog = element.querySelector('dialog');
  if (!dialog) return;
  if (!dialog.open) dialog.showModal();
  const hit = dialog.querySelector('mark.rk-hit');
  if (hit) hit.scrollIntoView({ block: 'center' });
  else dialog.querySelector('.rk-doc-body').scrollTop = 0;
  dialog.querySelector('.rk-doc-close').focus({ preventScroll: true });
});
"""

# Gradio's own words on this page, in Swedish for every browser language (Gradio picks the browser's).
_SWEDISH = {
    "chatbot.like": "Gilla",
    "chatbot.dislike": "Ogilla",
    "chatbot.clear": "Rensa samtalet",
    "chatbot.retry": "Försök igen",
    "chatbot.undo": "Ångra",
    "chatbot.edit": "Redigera",
    "chatbot.copy": "Kopiera",
    "chatbot.copied": "Kopierat",
    "common.submit": "Skicka",
    "common.clear": "Rensa",
    "common.loading": "Laddar",
    "common.error": "Fel",
    "common.empty": "Tom",
    "common.settings": "Inställningar",
    "common.built_with": "Byggt med",
    "common.built_with_gradio": "Byggt med Gradio",
    "common.logo": "Logotyp",
    "common.language": "Språk",
    "common.display_theme": "Visningstema",
    "common.remove": "Ta bort",
    "dropdown.dropdown": "Rullgardinsmeny",
    "errors.use_via_api": "Använd via API",
    "errors.use_via_api_or_mcp": "Använd via API eller MCP",
    "blocks.connection_can_break": (
        "På mobila enheter kan anslutningen brytas om fliken lämnas eller om enheten går i viloläge."
    ),
    "blocks.lost_connection": "Anslutningen bröts eftersom sidan lämnades. Återansluter …",
    "textbox.textbox": "Textruta",
    "html.html": "HTML",
}


def translations() -> gr.I18n:
    """Gradio's i18n with its own words in Swedish under every locale it might pick."""
    locales = (
        "sv",
        "en",
        "de",
        "fr",
        "es",
        "it",
        "nl",
        "pl",
        "pt",
        "fi",
        "no",
        "nb",
        "da",
        "ru",
        "uk",
        "ar",
        "fa",
        "he",
        "ja",
        "ko",
        "zh-CN",
        "zh-TW",
        "tr",
        "cs",
        "ca",
        "eu",
        "et",
        "lt",
        "hu",
        "ro",
    )
    return gr.I18n(**{locale: dict(_SWEDISH) for locale in locales})
