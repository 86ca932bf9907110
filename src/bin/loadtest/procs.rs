//! The processes the harness runs: its own Synapse (through `scripts/dev-homeserver`) and
//! the bot (`lahiapu run` as a child, so that it can be `kill -9`-ed), with what they cost.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// CPU time and peak memory of a process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub cpu_s: f64,
    pub peak_rss_kib: u64,
}

/// CPU seconds (user + system) of a running process, from `/proc/PID/stat`.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some((utime + stime) / ticks.max(1.0))
}

/// The peak resident set of a running process (`VmHWM`), in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The machine's load average (1, 5, 15 minutes): others share it.
pub fn loadavg() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// The harness's own CPU seconds so far (residents, echo bot, bookkeeping).
pub fn own_cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn tv(t: libc::timeval) -> f64 {
    t.tv_sec as f64 + t.tv_usec as f64 / 1e6
}

/// A Synapse of the harness's own in `dir`, started and stopped by `scripts/dev-homeserver`.
pub struct Synapse {
    pub script: PathBuf,
    pub dir: PathBuf,
    pub url: String,
    pub secret: String,
    pub pid: u32,
    running: bool,
    /// CPU seconds of the processes stopped before.
    past_cpu: f64,
}

impl Synapse {
    pub fn start(repo: &Path, dir: &Path) -> Result<Self> {
        let script = repo.join("scripts/dev-homeserver");
        let mut hs = Self {
            script,
            dir: dir.to_owned(),
            url: String::new(),
            secret: String::new(),
            pid: 0,
            running: false,
            past_cpu: 0.0,
        };
        hs.up()?;
        Ok(hs)
    }

    /// Starts it (again: the same port and data).
    pub fn up(&mut self) -> Result<()> {
        let out = Command::new(&self.script)
            .arg("start")
            .arg(&self.dir)
            .output()
            .with_context(|| format!("cannot run {}", self.script.display()))?;
        if !out.status.success() {
            bail!("dev-homeserver start failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let env = String::from_utf8_lossy(&out.stdout);
        let get = |k: &str| env.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).map(str::to_owned);
        self.url = get("HS_URL").context("dev-homeserver printed no HS_URL")?;
        self.secret = get("HS_SECRET").context("dev-homeserver printed no HS_SECRET")?;
        self.pid = get("HS_PID").and_then(|p| p.parse().ok()).context("dev-homeserver printed no HS_PID")?;
        self.running = true;
        Ok(())
    }

    /// Stops it (SIGTERM, then SIGKILL after 10 s: the script's own rules).
    pub fn down(&mut self) -> Result<()> {
        self.past_cpu += cpu_seconds(self.pid).unwrap_or(0.0);
        let out = Command::new(&self.script).arg("stop").arg(&self.dir).output().context("dev-homeserver stop")?;
        if !out.status.success() {
            bail!("dev-homeserver stop failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        self.running = false;
        Ok(())
    }

    /// Registers users (password = name).
    pub fn register(&self, users: &[String]) -> Result<()> {
        for chunk in users.chunks(200) {
            let out = Command::new(&self.script)
                .arg("register")
                .arg(&self.dir)
                .args(chunk)
                .output()
                .context("dev-homeserver register")?;
            if !out.status.success() {
                bail!("registering users failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
        Ok(())
    }

    /// CPU seconds of every Synapse process of this run so far.
    pub fn cpu_seconds_total(&self) -> f64 {
        self.past_cpu + if self.running { cpu_seconds(self.pid).unwrap_or(0.0) } else { 0.0 }
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        if self.running {
            let _ = self.down();
        }
    }
}

/// The bot as a child process. Every process it ever was is accounted: CPU seconds are
/// added up and the peak is the highest of them (from `wait4`, exact even after `kill -9`).
pub struct BotProc {
    bin: PathBuf,
    config: PathBuf,
    log_dir: PathBuf,
    log_level: String,
    child: Option<Child>,
    pub starts: u32,
    done: Usage,
}

impl BotProc {
    pub fn new(bin: &Path, config: &Path, log_dir: &Path, log_level: &str) -> Self {
        Self {
            bin: bin.to_owned(),
            config: config.to_owned(),
            log_dir: log_dir.to_owned(),
            log_level: log_level.to_owned(),
            child: None,
            starts: 0,
            done: Usage::default(),
        }
    }

    pub fn spawn(&mut self) -> Result<()> {
        self.starts += 1;
        let log = self.log_dir.join(format!("bot-{}.log", self.starts));
        let file = std::fs::File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
        let child = Command::new(&self.bin)
            .args(["run", "--config"])
            .arg(&self.config)
            .env("RUST_LOG", &self.log_level)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .with_context(|| format!("cannot start the bot {}", self.bin.display()))?;
        self.child = Some(child);
        Ok(())
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Whether the process ended by itself (a crash, or a fatal error).
    pub fn exited(&mut self) -> Option<String> {
        let pid = self.pid()?;
        self.reap(libc::WNOHANG).map(|status| format!("the bot (pid {pid}) exited by itself with status {status}"))
    }

    /// `kill -9`.
    pub fn kill9(&mut self) {
        if let Some(pid) = self.pid() {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            self.reap(0);
        }
    }

    /// SIGTERM, and SIGKILL if it has not ended after `grace`.
    pub fn terminate(&mut self, grace: Duration) {
        let Some(pid) = self.pid() else { return };
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.reap(libc::WNOHANG).is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.kill9();
    }

    /// Waits for the child with `wait4` and adds up what it used; `Some(status)` if it ended.
    fn reap(&mut self, flags: i32) -> Option<i32> {
        let pid = self.pid()? as i32;
        let mut status = 0;
        // SAFETY: wait4 writes into the status and the struct we pass.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if r == pid {
            self.done.cpu_s += tv(usage.ru_utime) + tv(usage.ru_stime);
            self.done.peak_rss_kib = self.done.peak_rss_kib.max(usage.ru_maxrss as u64);
            // Reaped: the std handle (which never waits on drop) is done with.
            self.child = None;
            Some(status)
        } else {
            None
        }
    }

    /// CPU seconds of every process so far (the running one's from /proc).
    pub fn cpu_seconds(&self) -> f64 {
        self.done.cpu_s + self.pid().and_then(cpu_seconds).unwrap_or(0.0)
    }

    /// The highest peak of every process so far.
    pub fn peak_rss_kib(&self) -> u64 {
        self.done.peak_rss_kib.max(self.pid().and_then(peak_rss_kib).unwrap_or(0))
    }

    /// The log of the current (or last) process.
    pub fn log_path(&self) -> PathBuf {
        self.log_dir.join(format!("bot-{}.log", self.starts))
    }
}

impl Drop for BotProc {
    fn drop(&mut self) {
        self.kill9();
    }
}
