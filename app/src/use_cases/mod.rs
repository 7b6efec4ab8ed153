//! Layer: use cases. What spans several screens: each file composes the
//! services of the screens below it, and no screen imports this layer.

pub mod viewer;
