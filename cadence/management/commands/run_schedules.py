"""`run_schedules`: the name the README's cron line and existing installations use for
`run_jobs` (every registered periodic job)."""

from cadence.management.commands.run_jobs import Command as RunJobs


class Command(RunJobs):
    help = "Same as run_jobs: run every module's periodic jobs. " + RunJobs.help
