"""Reference data the forum starts with: fields, public bodies and technologies."""
