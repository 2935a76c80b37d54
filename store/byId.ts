/** Orders documents by their `_id` as strings, as MongoDB sorts them: case numbers, task ids. */
export const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
