"""``CleanerStep`` in a datatrove pipeline, run by datatrove's ``LocalPipelineExecutor``."""

from __future__ import annotations

import gzip
import json

import pytest

REASON = "needs the datatrove extra: pip install 'cleaner[datatrove]' (make test installs it)"
pytest.importorskip("datatrove", reason=REASON)
pytest.importorskip("orjson", reason=REASON)

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from cleaner import Options  # noqa: E402
from cleaner.integrations.datatrove import CleanerStep  # noqa: E402
from cleaner.jsonl import clean_record  # noqa: E402

from .test_parallel import article  # noqa: E402


def test_cleaner_step_through_the_local_executor(tmp_path):
    source = tmp_path / "input"
    source.mkdir()
    records = [{"id": f"doc-{n}", "text": article(n)} for n in range(9)]
    for part in range(3):
        (source / f"part-{part}.jsonl").write_text(
            "".join(json.dumps(record) + "\n" for record in records[part::3]), encoding="utf-8")
    pipeline = [JsonlReader(str(source)), CleanerStep(), JsonlWriter(str(tmp_path / "output"))]
    LocalPipelineExecutor(pipeline, tasks=3, workers=2, logging_dir=str(tmp_path / "logs")).run()

    written = [json.loads(line) for path in sorted((tmp_path / "output").glob("*.jsonl.gz"))
               for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()]
    expected = {record["id"]: clean_record(record, Options()) for record in records}
    assert sorted(row["id"] for row in written) == sorted(expected)
    for row in written:
        assert row["text"] == expected[row["id"]]["text"]
        assert row["metadata"]["cleaner"] == expected[row["id"]]["cleaner"]

    stats = {step["name"]: step["stats"] for step in json.loads((tmp_path / "logs" / "stats.json").read_text())}
    step = stats[f"{CleanerStep.type}: {CleanerStep.name}"]
    assert step["documents"] == 9
    assert step["removed"]["total"] == sum(len(record["cleaner"]["removed"]) for record in expected.values())
    assert step["captions"]["total"] == sum(len(record["cleaner"]["captions"]) for record in expected.values())


def test_cleaner_step_keeps_other_metadata_and_uses_its_options():
    document = Document(text=article(3), id="a", metadata={"url": "https://example.org/a"})
    options = Options(captions="inline")
    [cleaned] = CleanerStep(options).run(iter([document]))
    assert cleaned.metadata["url"] == "https://example.org/a"
    assert cleaned.text == clean_record({"text": article(3)}, options)["text"]
    assert "Volunteer Mia Kowal" in cleaned.text


def test_cleaner_step_drops_emptied_documents_and_stops_or_skips_bad_ones():
    documents = [Document(text=5, id="d1"), Document(text="Share\n\nAdvertisement\n", id="d2"),
                 Document(text=article(4), id="d3")]
    step = CleanerStep(on_error="skip")
    assert [document.id for document in step.run(iter(documents))] == ["d3"]
    assert step.stats["skipped"].total == 1 and step.stats["emptied"].total == 1
    with pytest.raises(ValueError, match="cleaner: document 'd1': field 'text' is a number, not a string"):
        list(CleanerStep().run(iter([Document(text=5, id="d1")])))


@pytest.mark.parametrize("arguments, error", [
    (({"captions": "drop"},), "options must be a cleaner.Options, not dict"),
    ((None, "ignore"), "on_error must be 'raise' or 'skip'"),
])
def test_cleaner_step_refuses_bad_arguments_when_it_is_built(arguments, error):
    with pytest.raises((TypeError, ValueError), match=error):
        CleanerStep(*arguments)
