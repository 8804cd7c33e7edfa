//! NOT as Jira applies it: pushed through AND and OR by De Morgan's laws down to the
//! terminal clauses, whose operators become their opposites (`NOT a = 1` is `a != 1`,
//! `NOT d < x` is `d >= x`, `NOT t ~ w` is `t !~ w`). Jira's negated operators never
//! match an issue whose field is empty, so NOT is not the set complement: `NOT
//! component = Core` leaves out issues without a component. `CHANGED` has no
//! opposite; under NOT it stays the complement. The resolver applies this as it
//! walks the tree (`Resolver::negated`), so messages still name the written operator.

use super::Operator;

impl Operator {
    /// The operator matching what `NOT field self value` means, if there is one.
    pub fn opposite(self) -> Option<Operator> {
        use Operator::*;
        Some(match self {
            Equals => NotEquals,
            NotEquals => Equals,
            LessThan => GreaterThanEquals,
            GreaterThanEquals => LessThan,
            GreaterThan => LessThanEquals,
            LessThanEquals => GreaterThan,
            Like => NotLike,
            NotLike => Like,
            In => NotIn,
            NotIn => In,
            Is => IsNot,
            IsNot => Is,
            Was => WasNot,
            WasNot => Was,
            WasIn => WasNotIn,
            WasNotIn => WasIn,
            Changed => return None,
        })
    }
}
