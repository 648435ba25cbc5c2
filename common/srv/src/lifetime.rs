//! Lifetimes and renewal timers: `valid-lifetime` with its `min-`/`max-` bounds and T1/T2.
//!
//! ARM `dhcp4-srv.rst` "Sending T1 (Option 58) and T2 (Option 59)" and the lifetime bounds
//! described with `min-valid-lifetime` / `max-valid-lifetime`.

/// A value with optional bounds, as Kea's `Triplet`: `default`, `min`, `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Triplet {
    /// Used when the client expresses no preference.
    pub default: u32,
    /// Lower bound for a client's hint.
    pub min: u32,
    /// Upper bound for a client's hint.
    pub max: u32,
}

impl Triplet {
    /// A triplet where min and max default to the default value, as Kea fills them.
    pub fn new(default: u32, min: Option<u32>, max: Option<u32>) -> Self {
        Self {
            default,
            min: min.unwrap_or(default),
            max: max.unwrap_or(default),
        }
    }

    /// The lifetime granted for a client hint: the default when there is no hint, else the
    /// hint clamped to `[min, max]`.
    pub fn choose(&self, hint: Option<u32>) -> u32 {
        match hint {
            None => self.default,
            Some(h) if h < self.min => self.min,
            Some(h) if h > self.max => self.max,
            Some(h) => h,
        }
    }
}

/// How T1 and T2 are decided for a scope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeeTimes {
    /// `renew-timer`, explicit T1.
    pub renew_timer: Option<u32>,
    /// `rebind-timer`, explicit T2.
    pub rebind_timer: Option<u32>,
    /// `calculate-tee-times`.
    pub calculate: bool,
    /// `t1-percent`.
    pub t1_percent: f64,
    /// `t2-percent`.
    pub t2_percent: f64,
}

impl TeeTimes {
    /// T1 and T2 to send for a lease of `valid` seconds; `None` means the option is not sent.
    /// Explicit timers win over calculation; T2 only when below the lifetime, T1 only when
    /// below T2 (or below the lifetime when T2 is not sent).
    pub fn compute(&self, valid: u32) -> (Option<u32>, Option<u32>) {
        let t2 = self.rebind_timer.or_else(|| {
            self.calculate
                .then(|| (f64::from(valid) * self.t2_percent) as u32)
        });
        let t1 = self.renew_timer.or_else(|| {
            self.calculate
                .then(|| (f64::from(valid) * self.t1_percent) as u32)
        });
        let t2 = t2.filter(|&t2| t2 < valid);
        let t1 = t1.filter(|&t1| match t2 {
            Some(t2) => t1 < t2,
            None => t1 < valid,
        });
        (t1, t2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triplet_clamps_hints() {
        let t = Triplet::new(4000, Some(1000), Some(8000));
        assert_eq!(t.choose(None), 4000);
        assert_eq!(t.choose(Some(10)), 1000);
        assert_eq!(t.choose(Some(9000)), 8000);
        assert_eq!(t.choose(Some(2000)), 2000);
        assert_eq!(Triplet::new(600, None, None).choose(Some(10)), 600);
    }

    fn tee(r: Option<u32>, b: Option<u32>, calc: bool) -> TeeTimes {
        TeeTimes {
            renew_timer: r,
            rebind_timer: b,
            calculate: calc,
            t1_percent: 0.5,
            t2_percent: 0.875,
        }
    }

    #[test]
    fn tee_times_follow_the_arm_rules() {
        assert_eq!(tee(None, None, false).compute(4000), (None, None));
        assert_eq!(
            tee(None, None, true).compute(4000),
            (Some(2000), Some(3500))
        );
        assert_eq!(
            tee(Some(1000), Some(2000), true).compute(4000),
            (Some(1000), Some(2000))
        );
        // T2 not below the lifetime: not sent; T1 then compared with the lifetime.
        assert_eq!(
            tee(Some(1000), Some(5000), false).compute(4000),
            (Some(1000), None)
        );
        // T1 not below T2: not sent.
        assert_eq!(
            tee(Some(3000), Some(2000), false).compute(4000),
            (None, Some(2000))
        );
    }
}
