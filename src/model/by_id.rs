//! [`ById`]: a value built once and shared, equal only to itself.

use std::rc::Rc;

/// An `Rc` compared by identity: a frame (or a comparison) is new exactly when the model
/// built a new one, so components holding the same one skip rendering without comparing
/// what is inside.
#[derive(Debug)]
pub struct ById<T>(pub Rc<T>);

impl<T> ById<T> {
    pub fn new(value: T) -> ById<T> {
        ById(Rc::new(value))
    }
}

impl<T> Clone for ById<T> {
    fn clone(&self) -> Self {
        ById(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for ById<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_to_itself() {
        let a = ById::new(1);
        assert!(a == a.clone());
        assert!(a != ById::new(1), "the same value, built again, is a new one");
        assert_eq!(*a, 1);
    }
}
