"""The API's one parser: DRF's JSON parser, with input too deeply nested answered as a 400, not a crash."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class WebexJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The decoder recurses per nesting level: ``[[[[...]]]]`` past Python's limit must not be a 500.
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
