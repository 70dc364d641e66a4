"""Helpers for the logs and metrics tests: picking log lines, reading a scrape."""

from prometheus_client.parser import text_string_to_metric_families


def lines_of(lines: list[dict], **wanted) -> list[dict]:
    return [line for line in lines if all(line.get(key) == value for key, value in wanted.items())]


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    """The /metrics samples as {(name, sorted labels): value}; fails unless the scrape is allowed."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def sample(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)
