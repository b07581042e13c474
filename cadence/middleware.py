"""Project-wide middleware: the API's cache headers, and the benchmark's query counter."""

from django.db import connection
from django.utils.cache import patch_cache_control, patch_vary_headers


class QueryCountMiddleware:
    """Benchmark only: counts SQL queries per request into a response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class ApiNoStoreMiddleware:
    """Every answer of the JSON API, errors included, is never stored by a browser or proxy:
    it carries people's private data, often fetched with a token that a shared cache ignores."""

    prefix = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.prefix):
            patch_cache_control(response, no_store=True, private=True)
            response["Pragma"] = "no-cache"  # HTTP/1.0 caches know only this
            patch_vary_headers(response, ["Authorization", "Cookie"])
        return response
