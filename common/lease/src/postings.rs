//! [`Postings`]: a secondary index of the lease stores, from a lookup key (hardware
//! address, client identifier, DUID, subnet) to the ordered set of lease addresses under
//! it. Pure data structure shared by `store4` and `store6`; it holds no leases and keeps
//! no empty sets.

use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

/// Key → addresses, each set in address order.
#[derive(Debug)]
pub(crate) struct Postings<K, A> {
    map: HashMap<K, BTreeSet<A>>,
}

impl<K, A> Default for Postings<K, A> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq, A: Ord> Postings<K, A> {
    /// Files `addr` under `key`.
    pub(crate) fn add(&mut self, key: K, addr: A) {
        self.map.entry(key).or_default().insert(addr);
    }

    /// Removes `addr` from under `key`, dropping the key when nothing is left under it.
    pub(crate) fn remove<Q>(&mut self, key: &Q, addr: &A)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(set) = self.map.get_mut(key) {
            set.remove(addr);
            if set.is_empty() {
                self.map.remove(key);
            }
        }
    }

    /// The addresses under `key`, in order.
    pub(crate) fn get<Q>(&self, key: &Q) -> impl Iterator<Item = &A>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.get(key).into_iter().flatten()
    }

    /// Number of keys with at least one address.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_ordered_and_empty_keys_dropped() {
        let mut p: Postings<Vec<u8>, u32> = Postings::default();
        p.add(vec![1], 9);
        p.add(vec![1], 3);
        p.add(vec![2], 5);
        assert_eq!(p.get(&[1][..]).copied().collect::<Vec<_>>(), vec![3, 9]);
        p.remove(&[1][..], &3);
        p.remove(&[1][..], &9);
        p.remove(&[7][..], &9);
        assert_eq!(p.get(&[1][..]).count(), 0);
        assert_eq!(p.keys(), 1);
    }
}
