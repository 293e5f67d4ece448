//! Actions: pb.
