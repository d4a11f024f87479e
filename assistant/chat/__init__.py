"""The Gradio chat: conversations, the sources panel, the glossary, feedback."""
