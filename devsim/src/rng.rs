//! A small deterministic random number generator (SplitMix64), so that generated configurations,
//! serial numbers and host keys stay the same for a seed across releases of any dependency.

/// SplitMix64: fast, tiny, and stable by construction.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for a seed and any number of further values mixed into it.
    pub(crate) fn new(seed: u64, streams: &[u64]) -> Self {
        let mut rng = Rng(seed ^ 0x6a09_e667_f3bc_c909);
        for s in streams {
            rng.0 = rng.next_u64() ^ s.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        rng
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `len` characters from `alphabet`.
    pub(crate) fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

/// Letters and digits, for serial numbers and community strings.
pub(crate) const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
/// The alphabet of crypt(3) hashes, for fake `$6$...` secrets.
pub(crate) const CRYPT: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(7, &[1, 2]);
        let mut b = Rng::new(7, &[1, 2]);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(Rng::new(7, &[1]).next_u64(), Rng::new(7, &[2]).next_u64());
    }
}
