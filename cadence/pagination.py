"""API paging and ids with bounds: numbers beyond what the database holds are refused (422)
instead of reaching SQL and failing there."""

from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=2**31)
