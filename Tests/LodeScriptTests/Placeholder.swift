struct X{}
