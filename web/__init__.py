"""The Flask app: reader pages, operator form, dispatcher console, courier manifests and the JSON API."""
