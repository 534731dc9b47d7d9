// This README's samples need no placeholders.
