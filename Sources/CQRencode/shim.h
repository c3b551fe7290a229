// Debian's libqrencode (libqrencode-dev), as it is: no wrapper is needed.
#include <qrencode.h>
