"""Insights' charts: each module here registers one or more with `@insights.charts.chart`
(found by `insights.charts.registered`, nothing else to list). See `insights.charts` for the
contract; `headcount` is the smallest example, `retention` one with filters of its own."""
