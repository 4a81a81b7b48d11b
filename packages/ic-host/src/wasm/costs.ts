/**
 * The IC's per-instruction weights (the "new" metering of the replica's Wasm instrumentation),
 * indexed by opcode. Written from the published cost model: control markers cost 0, most
 * integer and local/const operations 1, integer division 10, global access 2, calls 5/10,
 * memory.grow 300, bulk memory 100 plus one per byte (the per-byte part is charged at run time).
 */

const single = new Uint16Array(256).fill(1);

function set(cost: number, ...ops: number[]): void {
  for (const op of ops) single[op] = cost;
}
function range(from: number, to: number, cost: number): void {
  for (let op = from; op <= to; op++) single[op] = cost;
}

// block, loop, else, end
set(0, 0x02, 0x03, 0x05, 0x0b);
// if, br, br_if, br_table
set(2, 0x04, 0x0c, 0x0d, 0x0e);
// call, call_indirect, return_call, return_call_indirect
set(5, 0x10);
set(10, 0x11);
set(3, 0x12);
set(60, 0x13);
// global.get / global.set
set(2, 0x23, 0x24);
// table.get / table.set
set(5, 0x25, 0x26);
// memory.size, memory.grow
set(20, 0x3f);
set(300, 0x40);
// f32/f64 comparisons
range(0x5b, 0x66, 3);
// integer division and remainder
set(10, 0x6d, 0x6e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82);
// f32 arithmetic: abs neg (1) ceil floor trunc nearest (2) sqrt (5) add sub mul (2) div (3)
// min max (18) copysign (2)
set(2, 0x8d, 0x8e, 0x8f, 0x90, 0x92, 0x93, 0x94, 0x98);
set(5, 0x91);
set(3, 0x95);
set(18, 0x96, 0x97);
// f64 arithmetic: sqrt 8, div 5, copysign 3
set(2, 0x9b, 0x9c, 0x9d, 0x9e, 0xa0, 0xa1, 0xa2);
set(8, 0x9f);
set(5, 0xa3);
set(18, 0xa4, 0xa5);
set(3, 0xa6);
// float -> int truncation
range(0xa8, 0xab, 20);
range(0xae, 0xb1, 20);
// int -> float conversion: signed 3, unsigned 16
set(3, 0xb2, 0xb4, 0xb7, 0xb9);
set(16, 0xb3, 0xb5, 0xb8, 0xba);
// ref.is_null, ref.func
set(5, 0xd1);
set(130, 0xd2);

export const OPCODE_COST: Readonly<Uint16Array> = single;

/** Weights of 0xFC-prefixed instructions by sub-opcode. */
export function prefixedFcCost(sub: number): number {
  if (sub <= 7) return 20; // trunc_sat
  switch (sub) {
    case 8: // memory.init
    case 10: // memory.copy
    case 11: // memory.fill
    case 12: // table.init
    case 14: // table.copy
    case 17: // table.fill
      return 100;
    case 9: // data.drop
    case 13: // elem.drop
    case 15: // table.grow
      return 300;
    case 16: // table.size
      return 100;
    default:
      return 1;
  }
}

/**
 * Fixed fees of System API calls in instructions (the replica's "new" overhead table). The
 * variable part, charged on top, is the number of bytes the call copies.
 */
export const SYSTEM_API_FEE: Readonly<Record<string, number>> = {
  accept_message: 500,
  call_cycles_add128: 500,
  call_data_append: 500,
  call_new: 1_500,
  call_on_cleanup: 500,
  call_perform: 5_000,
  call_with_best_effort_response: 500,
  canister_cycle_balance128: 500,
  canister_liquid_cycle_balance128: 500,
  canister_self_copy: 500,
  canister_self_size: 500,
  canister_status: 500,
  canister_version: 500,
  certified_data_set: 500,
  cost_call: 500,
  cycles_burn128: 100,
  data_certificate_copy: 500,
  data_certificate_present: 500,
  data_certificate_size: 500,
  debug_print: 100,
  global_timer_set: 500,
  in_replicated_execution: 500,
  is_controller: 1_000,
  msg_arg_data_copy: 500,
  msg_arg_data_size: 500,
  msg_caller_copy: 500,
  msg_caller_size: 500,
  msg_cycles_accept128: 500,
  msg_cycles_available128: 500,
  msg_cycles_refunded128: 500,
  msg_method_name_copy: 500,
  msg_method_name_size: 500,
  msg_reject: 500,
  msg_reject_code: 500,
  msg_reject_msg_copy: 500,
  msg_reject_msg_size: 500,
  msg_reply: 500,
  msg_reply_data_append: 500,
  performance_counter: 200,
  stable64_grow: 500,
  stable64_read: 20,
  stable64_size: 20,
  stable64_write: 20,
  time: 500,
  trap: 500,
};
