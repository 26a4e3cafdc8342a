//! Deterministic draws: one ChaCha8 stream per record, seeded from the dataset's seed, the kind of
//! record and its number, so any record can be drawn on its own and always comes out the same.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

pub struct Draw {
    rng: ChaCha8Rng,
}

impl Draw {
    /// The draws of record `index` of `stream` (1 actors, 2 sources, 3 set-up, 4 events, 5 links).
    pub fn new(seed: u64, stream: u64, index: u64) -> Self {
        let mixed = seed
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(17)
            .wrapping_add(stream.wrapping_mul(0xbf58_476d_1ce4_e5b9))
            .wrapping_add(index.wrapping_mul(0x94d0_49bb_1331_11eb));
        Self { rng: ChaCha8Rng::seed_from_u64(mixed) }
    }

    pub fn next(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-and-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One of `choices`, each as likely as its weight.
    pub fn weighted<T: Copy>(&mut self, choices: &[(T, u64)]) -> T {
        let total: u64 = choices.iter().map(|(_, weight)| weight).sum();
        let mut pick = self.below(total);
        for (value, weight) in choices {
            if pick < *weight {
                return *value;
            }
            pick -= weight;
        }
        choices[choices.len() - 1].0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A power law over `n` ranks: rank k (from 1) is drawn in proportion to 1 / k^exponent, so a few
/// actors take part in many events and most in few.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: u64, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                total += 1.0 / (k as f64).powf(exponent);
                total
            })
            .collect();
        Self { cumulative }
    }

    /// An index in `0..n`; index 0 is the most active.
    pub fn sample(&self, draw: &mut Draw) -> u64 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = draw.unit() * total;
        let index = self.cumulative.partition_point(|&c| c <= target);
        index.min(self.cumulative.len().saturating_sub(1)) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_repeat_for_the_same_seed_and_differ_between_seeds() {
        let a: Vec<u64> = (0..5).map(|_| Draw::new(7, 4, 3).next()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Draw::new(7, 4, 3).next(), Draw::new(8, 4, 3).next());
        let mut draw = Draw::new(1, 1, 1);
        assert!((0..1000).all(|_| draw.below(10) < 10));
    }

    #[test]
    fn the_power_law_favours_low_ranks() {
        let zipf = Zipf::new(1000, 1.1);
        let mut draw = Draw::new(1, 9, 0);
        let top = (0..10_000).filter(|_| zipf.sample(&mut draw) < 10).count();
        assert!(top > 3_000, "the ten most active actors drew {top} of 10,000");
    }
}
