//! Latency figures.

use serde_json::{Value, json};

/// Percentiles of a set of latencies (milliseconds), by nearest rank.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency {
    pub n: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Latency {
    pub fn of(values: &[f64]) -> Self {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let rank = |p: f64| -> f64 {
            if v.is_empty() {
                return f64::NAN;
            }
            let i = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
            v[i]
        };
        Self {
            n: v.len(),
            p50: rank(0.50),
            p95: rank(0.95),
            p99: rank(0.99),
            max: v.last().copied().unwrap_or(f64::NAN),
        }
    }

    pub fn json(&self) -> Value {
        json!({"n": self.n, "p50_ms": round(self.p50), "p95_ms": round(self.p95), "p99_ms": round(self.p99),
            "max_ms": round(self.max)})
    }

    pub fn row(&self, label: &str) -> String {
        format!(
            "  {label:<24} {:>6} {:>9} {:>9} {:>9} {:>9}",
            self.n,
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// Ours over the echo bot's, per percentile.
pub fn ratio_row(ours: &Latency, echo: &Latency) -> String {
    let r =
        |a: f64, b: f64| if b > 0.0 && a.is_finite() && b.is_finite() { format!("{:.2}", a / b) } else { "-".into() };
    format!(
        "  {:<24} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "ratio (bot / echo)",
        "",
        r(ours.p50, echo.p50),
        r(ours.p95, echo.p95),
        r(ours.p99, echo.p99),
        r(ours.max, echo.max)
    )
}

pub fn header() -> String {
    format!("  {:<24} {:>6} {:>9} {:>9} {:>9} {:>9}", "latency, ms", "n", "p50", "p95", "p99", "max")
}

fn ms(x: f64) -> String {
    if x.is_finite() { format!("{x:.1}") } else { "-".into() }
}

fn round(x: f64) -> Value {
    if x.is_finite() { json!((x * 10.0).round() / 10.0) } else { Value::Null }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let l = Latency::of(&v);
        assert_eq!((l.n, l.p50, l.p95, l.p99, l.max), (100, 50.0, 95.0, 99.0, 100.0));
        let one = Latency::of(&[7.0]);
        assert_eq!((one.p50, one.p99), (7.0, 7.0));
        assert!(Latency::of(&[]).p50.is_nan());
    }
}
