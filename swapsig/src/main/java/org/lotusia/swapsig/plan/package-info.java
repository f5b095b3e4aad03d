/**
 * The I/O-free plan of a pool: who funds, signs and receives which shared output ({@link
 * org.lotusia.swapsig.plan.RingLayout}), the shared outputs with their refund leaves, and the setup,
 * settlement and refund transactions ({@link org.lotusia.swapsig.plan.PoolPlan}), which every
 * participant derives on its own from the pool's terms and members.
 */
package org.lotusia.swapsig.plan;
