"""From retrieved passages to an answer: reading the question, scoring sentences, composing the reply."""
