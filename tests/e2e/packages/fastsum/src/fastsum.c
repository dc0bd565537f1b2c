/* fastsum.total(iterable of ints) -> their sum, computed in C. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *total(PyObject *self, PyObject *args) {
  PyObject *iterable, *iterator, *item;
  long long sum = 0;
  (void)self;
  if (!PyArg_ParseTuple(args, "O", &iterable))
    return NULL;
  iterator = PyObject_GetIter(iterable);
  if (!iterator)
    return NULL;
  while ((item = PyIter_Next(iterator))) {
    sum += PyLong_AsLongLong(item);
    Py_DECREF(item);
    if (PyErr_Occurred()) {
      Py_DECREF(iterator);
      return NULL;
    }
  }
  Py_DECREF(iterator);
  if (PyErr_Occurred())
    return NULL;
  return PyLong_FromLongLong(sum);
}

static PyMethodDef methods[] = {
    {"total", total, METH_VARARGS, "Sum of an iterable of integers."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastsum", NULL, -1, methods};

PyMODINIT_FUNC PyInit_fastsum(void) { return PyModule_Create(&module); }
