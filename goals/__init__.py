"""Goals: objectives with key results (OKRs and KPIs) that stay alive, aligned in a tree."""
