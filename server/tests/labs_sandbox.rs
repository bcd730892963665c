//! A property test of the SQL sandbox with hostile SQL, through real
//! worker processes: whatever the mix, every run ends within its limit, a
//! worker's memory stays bounded, and nothing is written outside memory.

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use app::labs::sql::{
    pool::{Snapshot, SqlPool},
    runner::{Job, HEAP_LIMIT},
};
use proptest::prelude::*;

/// Pieces a hostile learner combines.
fn hostile(dir: &str) -> impl Strategy<Value = String> {
    let dir = dir.to_string();
    let n = prop_oneof![
        Just(10u64),
        Just(100_000),
        Just(1_000_000_000),
        1u64..5_000_000
    ];
    (0usize..12, n, 1u32..6).prop_map(move |(pick, n, depth)| match pick {
        0 => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c".into(),
        1 => format!("SELECT zeroblob({n})"),
        2 => format!("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {n}) SELECT randomblob(100000) FROM c ORDER BY 1"),
        3 => format!("SELECT printf('%.*c', {n}, 'x')"),
        4 => format!("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {n}) SELECT group_concat(randomblob(1000)) FROM c"),
        5 => format!("ATTACH DATABASE '{dir}/attached-{n}.db' AS a{depth}"),
        6 => format!("VACUUM INTO '{dir}/vacuum-{n}.db'"),
        7 => format!("CREATE TABLE t{n} AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {n}) SELECT x, randomblob(1000) AS b FROM c"),
        8 => format!("SELECT {}1{}", "(".repeat(depth as usize * 40), ")".repeat(depth as usize * 40)),
        9 => format!("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {n}) SELECT a.x FROM c a, c b, c d"),
        10 => "PRAGMA temp_store = FILE; PRAGMA cache_size = -1000000".into(),
        _ => format!("SELECT replace(hex(zeroblob({n})), '0', 'xx')"),
    })
}

fn worker() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_academy"))
}

#[test]
fn hostile_sql_ends_in_time_stays_bounded_and_writes_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = SqlPool::new(worker(), 2);
    let snapshot = Snapshot {
        key: 1,
        seed: Arc::from("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);"),
    };
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().to_string_lossy().into_owned();
    let config = ProptestConfig {
        cases: 40,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let strategy =
        proptest::collection::vec(hostile(&target), 1..3).prop_map(|parts| parts.join(";\n"));
    runner
        .run(&strategy, |script| {
            let started = Instant::now();
            let out = rt
                .block_on(pool.run(
                    &snapshot,
                    Job {
                        snapshot: 1,
                        script: script.clone(),
                        probe: None,
                        plan: false,
                    },
                ))
                .expect("the pool answers");
            // 250 ms of work, plus start-up and the answer's way back.
            prop_assert!(
                started.elapsed() < Duration::from_millis(1500),
                "{script} took {:?} ({:?})",
                started.elapsed(),
                out.script
            );
            Ok(())
        })
        .unwrap();
    let peaks = pool.peak_memory_kib();
    assert!(!peaks.is_empty(), "workers are alive and measured");
    eprintln!("worker peaks (KiB): {peaks:?}");
    for kib in peaks {
        // SQLite's heap cap plus the process itself and the result buffer.
        assert!(
            kib * 1024 < HEAP_LIMIT as u64 * 4,
            "a worker peaked at {} MiB",
            kib / 1024
        );
    }
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(written.is_empty(), "files written: {written:?}");
    // And a plain run still answers correctly afterwards.
    let out = rt
        .block_on(pool.run(
            &snapshot,
            Job {
                snapshot: 1,
                script: "SELECT sum(x) FROM t".into(),
                probe: None,
                plan: false,
            },
        ))
        .unwrap();
    assert_eq!(
        out.script.unwrap().unwrap().rows[0][0],
        app::labs::model::Cell::Int(3)
    );
}
