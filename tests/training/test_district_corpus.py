"""The committed 2009-2012 corpus is what its generator writes (same seed, same files)."""

from pathlib import Path

from tests.data.district_2009_2012 import make_corpus


def test_the_generator_reproduces_the_committed_csv_files(tmp_path):
    make_corpus.write(tmp_path)
    committed = Path(make_corpus.__file__).parent
    written = sorted(path.name for path in tmp_path.glob("*.csv"))
    assert len(written) == 7
    for name in written:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(
        p.name for p in committed.glob("*.xlsx")
    )
