"""Reading files: find them in a folder, load txt/md/html/pdf/docx into pages, and describe them (metadata)."""
