//! The short load run of CI: `loadtest --short` starts a Synapse of its own, the bot as a
//! process, four residents in four rooms and the echo bot, and sends two questions a second
//! for a minute while the bot is stopped and restarted, Synapse is stopped for 5 s and
//! started again, and the bot is `kill -9`-ed and restarted. Every question sent must be
//! answered exactly once. What the other fault tests do not cover: several rooms at once,
//! questions arriving during each fault, and all three faults in one bot's life. Latency
//! figures are printed, not asserted (they go in docs/reliability.md).

use std::process::Command;

use serde_json::Value;

#[test]
fn a_stop_a_synapse_restart_and_a_kill_9_under_load_lose_and_double_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_loadtest"))
        .args(["--short", "--bot", env!("CARGO_BIN_EXE_lahiapu"), "--dir"])
        .arg(dir.path().join("run"))
        .arg("--json")
        .arg(&report)
        .output()
        .expect("loadtest runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("{stdout}");
    assert!(out.status.success(), "loadtest --short failed:\n{stdout}\n{stderr}");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} missing: {r:#}"));
    assert_eq!(n("lost"), 0, "{r:#}");
    assert_eq!(n("answered_twice_or_more"), 0, "{r:#}");
    assert_eq!(n("expired"), 0, "nothing is older than the catch-up window of 15 min: {r:#}");
    assert_eq!(n("answered_once"), n("sent"), "{r:#}");
    // 120 scheduled, less those not sent while Synapse was down (5 s and its stop and start).
    assert!(n("sent") >= 60, "most questions were sent: {r:#}");
    let faults: Vec<&str> = r["faults"].as_array().unwrap().iter().map(|f| f["what"].as_str().unwrap()).collect();
    assert_eq!(faults, ["stop", "Synapse down", "kill -9"], "{r:#}");
    assert_eq!(r["build"], if cfg!(debug_assertions) { "debug" } else { "release" });
}
